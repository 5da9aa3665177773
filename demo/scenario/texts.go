package scenario

import "redress"

// channelIntro opens a description with how the matter reached the bank.
var channelIntro = map[redress.Channel]string{
	redress.ChannelCounter:       "客户到{outlet}柜台现场反映：",
	redress.ChannelVisit:         "客户到{outlet}来访反映（已查验身份证件并完成安检登记）：",
	redress.ChannelOpinionBook:   "客户在{outlet}客户意见簿留言：",
	redress.ChannelLetter:        "客户来信反映（信件已复印留存备查）：",
	redress.ChannelPhone:         "客户致电{outlet}反映：",
	redress.ChannelHotline:       "总行客服热线转办工单，客户来电反映：",
	redress.ChannelOnlineBanking: "客户通过网上银行在线客服留言反映：",
	redress.ChannelMobileApp:     "客户通过手机银行“意见反馈”反映：",
	redress.ChannelSelfService:   "客户在{outlet}自助银行通过对讲电话反映：",
	redress.ChannelEmail:         "客户发送电子邮件至客服邮箱反映：",
	redress.ChannelWeChat:        "客户通过我行微信公众号留言反映：",
	redress.ChannelRegulator:     "国家金融监督管理总局12378热线转办，客户反映：",
	redress.ChannelOnlinePost:    "舆情监测发现客户在网络平台发帖反映：",
}

// Told returns the scenario's description as it reached the bank by ch:
// the channel's opening and the description, with its placeholders unfilled.
func (sc *Scenario) Told(ch redress.Channel) string { return channelIntro[ch] + sc.Description }

// Texts names one list of texts the handling of a case draws from.
type Texts int

// The lists of texts.
const (
	NoteTexts         Texts = iota // notes on the case's progress
	MoreFindings                   // findings after the first
	ReviewFindings                 // findings of a review by a higher level
	Accountabilities               // measures taken against those at fault
	HandOverReasons                // why the first responder hands the case over
	BranchReasons                  // why it is raised to the branch head
	HeadOfficeReasons              // why it is raised to head office
	RejectReasons                  // why it is rejected
	WithdrawReasons                // why it is withdrawn
	ReopenReasons                  // why it is reopened
	SignOffTexts                   // what the signer writes ("" for nothing)
	Supplements                    // remarks that end a description now and then
)

// texts are the lists, by name.
var texts = [...][]string{
	NoteTexts: {
		"已电话联系客户，复述投诉要点并获客户确认，约定三日内答复。",
		"客户再次来电询问进度，已告知正在调查核实，将按期答复。",
		"已向客户说明处理流程和时限，客户表示理解。",
		"已调取相关业务凭证及监控录像，待进一步核实。",
	},
	MoreFindings: {
		"与当事员工谈话并形成谈话笔录，员工陈述与监控录像一致。",
		"调取业务凭证、系统日志及监控录像，完成证据固定。",
		"联系客户补充提供相关截图及凭证，客户已提供。",
		"核查同期同类业务办理情况，未发现批量性问题。",
	},
	ReviewFindings: {
		"上级复核：已审阅支行调查材料，补充调取相关业务资料并听取客户意见。",
		"上级复核：约见客户当面沟通，核实客户诉求及证据材料。",
	},
	Accountabilities: {
		"对当事员工进行批评教育，扣减当月服务质量考核分。",
		"责令网点限期整改，并在辖内通报。",
		"暂停相关人员营销资格三个月。",
		"组织网点员工开展服务规范专项培训。",
	},
	HandOverReasons: {
		"超出首问责任人处理权限，移交投诉管理人处理。",
		"客户诉求需调查核实，首问责任人无法当场解决，移交投诉管理人。",
	},
	BranchReasons: {
		"客户诉求超出支行处理权限，报请网点负责人协调，由分行投诉管理人督办。",
		"客户情绪激动、多次来电，提级由网点负责人督办。",
	},
	HeadOfficeReasons: {
		"经网点负责人确认超出分支机构处理权限，报总行规范服务管理部门处理。",
		"涉及跨部门协调及总行系统问题，经网点负责人确认报总行处理。",
	},
	RejectReasons: {
		"经核实，该事项已进入诉讼程序，不属于投诉受理范围，已告知客户。",
		"重复投诉，已并入原投诉件处理，已告知客户。",
		"客户未能提供有效联系方式及基本事实，无法核实，已告知补充材料后可重新提交。",
		"反映事项不属于我行业务范围，已告知客户向相关机构反映。",
	},
	WithdrawReasons: {
		"客户来电表示问题已自行解决，申请撤回投诉。",
		"经沟通解释，客户表示理解并撤回投诉。",
		"客户与我行协商达成一致，主动撤回。",
	},
	ReopenReasons: {
		"客户对处理结果不满意，申请核查，重新调查。",
		"客户补充提供新的交易凭证，重新核实。",
	},
	SignOffTexts: {
		"已审阅处理记录及答复内容，同意。",
		"处理程序完整，答复依据充分，签字确认。",
		"",
	},
	Supplements: {
		"客户情绪较为激动，要求尽快给予答复。",
		"客户表示如问题得不到解决，将向监管部门反映。",
		"客户称此前已多次通过电话反映，未得到有效处理。",
		"客户提供了相关交易截图及凭证复印件。",
		"客户希望银行给出书面说明。",
		"客户表示对我行服务总体认可，但对此事较为不满。",
		"客户为我行多年老客户，希望妥善处理。",
		"客户系老年人，由其子女陪同反映。",
		"客户要求当日内联系其本人说明情况。",
		"客户同意等待调查结果，已留联系方式。",
		"客户称已在社交媒体上发布相关情况。",
		"客户要求调阅当日监控录像。",
		"客户表示愿意配合银行调查核实。",
		"客户对处理时限有疑问，已告知法定处理时限。",
		"客户要求由网点负责人出面解释。",
		"客户称家人也遇到过类似情况。",
	},
}

// Text draws a text of list t.
func (r *Rand) Text(t Texts) string { return Pick(r, texts[t]) }

// closeTexts record the return visit, by the customer's answer.
var closeTexts = map[redress.Satisfaction]string{
	redress.SatisfactionSatisfied:   "电话回访，客户对处理结果表示满意。",
	redress.SatisfactionBasically:   "电话回访，客户表示基本满意。",
	redress.SatisfactionDissatisfed: "电话回访，客户对处理结果仍不满意，已告知可申请核查。",
	redress.SatisfactionUnreachable: "三次电话回访均未接通，已发送短信告知处理结果。",
}

// CloseText is what the return visit records when the customer answers s.
func CloseText(s redress.Satisfaction) string { return closeTexts[s] }
